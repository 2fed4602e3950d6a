import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root directory, found by walking up from this module: it sits
 * in config/ when run from source and in dist/ when bundled.
 */
function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'config', 'stages.yaml'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('teambot is installed incompletely: config/stages.yaml is missing');
    directory = parent;
  }
  return directory;
}

const root = packageRoot();

/** Absolute paths of the built-in configuration shipped in config/. */
export const builtinFiles = {
  root,
  stages: join(root, 'config', 'stages.yaml'),
  stagesSchema: join(root, 'config', 'stages.schema.json'),
  teambotConfig: join(root, 'config', 'teambot.json'),
  agentsDirectory: join(root, 'config', 'agents'),
  demoObjective: join(root, 'config', 'objectives', 'demo.md'),
  exampleObjective: join(root, 'config', 'objectives', 'example.md'),
  packageJson: join(root, 'package.json'),
} as const;
