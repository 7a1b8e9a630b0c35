import { Application } from '../lib/model';
import { flaskRedis } from './flask-redis';
import { myService } from './my-service';
import { shop } from './shop';
import { sockShop } from './sock-shop';
import { webMongo } from './web-mongo';

/** The shipped example applications, by stack name (the `dist/<stack>.*` file names). */
export const STACKS: Record<string, (props?: import('../lib/model').ApplicationProps) => Application> = {
  'flask-redis': flaskRedis,
  'web-mongo': webMongo,
  'my-service': myService,
  shop,
  'sock-shop': sockShop,
};
