// Entry point of the Pulumi project (Pulumi.yaml `main`): `pulumi config set stack shop && pulumi up`.
import { deploy } from './program';

const app = deploy();

/** Per service: container names, published URLs and network names. */
export const services = app.services;
/** What Docker cannot express exactly (also printed as warnings). */
export const diagnostics = app.diagnostics;
