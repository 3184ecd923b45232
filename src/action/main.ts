import * as core from '@actions/core';

/**
 * run is the GitHub Action's entry: read inputs once, run the engine, write outputs.
 * The check engine lands with issue 6; until then the Action refuses to pretend.
 */
export async function run(): Promise<void> {
  core.setFailed('modguard: the Action runs the check engine, which is not built yet (issue 6)');
}
