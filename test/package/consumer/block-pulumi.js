// Preloaded with `node -r`: loading any Pulumi package fails, as it would where Pulumi is not installed, and the
// attempt is recorded (in case some code catches the error).
'use strict';
const Module = require('module');
const load = Module._load;
globalThis.pulumiRequests = [];
Module._load = function (request, parent, ...rest) {
  if (/^@pulumi\//.test(request)) {
    globalThis.pulumiRequests.push(`${request} from ${parent && parent.filename}`);
    throw new Error(`${request} must not load here (required by ${parent && parent.filename})`);
  }
  return load.call(this, request, parent, ...rest);
};
