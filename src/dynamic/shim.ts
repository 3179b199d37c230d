/**
 * The provider object that Pulumi serializes into every resource's state.
 *
 * It is a thin shim: each method loads the implementation from the installed
 * package by its bare name at call time. The stored text is tiny, holds no
 * secret and no file path, and a fix in the package also reaches flow logs
 * that were created by an older version (old state keeps old provider text).
 * Keep these bodies free of any captured variable: only `require` and the
 * method's own arguments.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the stored text must reach the package by its bare name at call time (see above) */
import type * as dynamic from '@pulumi/pulumi/dynamic';

export const cenFlowlogProvider: dynamic.ResourceProvider = {
  async configure(req) {
    return require('cen-flowlog').providerImplementation().configure(req);
  },
  async check(olds, news) {
    return require('cen-flowlog').providerImplementation().check(olds, news);
  },
  async diff(id, olds, news) {
    return require('cen-flowlog').providerImplementation().diff(id, olds, news);
  },
  async create(inputs) {
    return require('cen-flowlog').providerImplementation().create(inputs);
  },
  async read(id, props) {
    return require('cen-flowlog').providerImplementation().read(id, props);
  },
  async update(id, olds, news) {
    return require('cen-flowlog').providerImplementation().update(id, olds, news);
  },
  async delete(id, props) {
    return require('cen-flowlog').providerImplementation().delete(id, props);
  },
};
