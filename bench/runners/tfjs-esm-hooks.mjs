// Module resolution hooks for the TF.js runner. TF.js 4.22 ships two builds: CommonJS
// bundles (what `import '@tensorflow/tfjs-core'` loads in Node) that lack the gradient
// definitions, and ES modules (dist/**/*.js, with them) whose imports omit the `.js`
// extension, which Node's ESM loader refuses. These hooks load the ES-module build, all of
// it (core, gradients, cpu and wasm backends: one engine instance), by mapping the bare
// package names to their ESM entry points and adding the missing extensions.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ESM_ENTRY = {
  '@tensorflow/tfjs-core': '@tensorflow/tfjs-core/dist/index.js',
  '@tensorflow/tfjs-backend-cpu': '@tensorflow/tfjs-backend-cpu/dist/index.js',
  '@tensorflow/tfjs-backend-wasm': '@tensorflow/tfjs-backend-wasm/dist/index.js',
};

export async function resolve(specifier, context, nextResolve) {
  if (ESM_ENTRY[specifier]) return nextResolve(ESM_ENTRY[specifier], context);
  const fromTf = context.parentURL?.includes('/node_modules/@tensorflow/');
  const bareTf = /^@tensorflow\/tfjs-[a-z-]+\/dist\//.test(specifier);
  if (fromTf && (specifier.startsWith('.') || bareTf) && !/\.(m?js|json|wasm)$/.test(specifier)) {
    const base = bareTf ? fileURLToPath((await nextResolve(specifier.replace(/\/dist\/.*$/, '/package.json'), context)).url).replace(/package\.json$/, specifier.replace(/^@tensorflow\/tfjs-[a-z-]+\//, '')) : fileURLToPath(new URL(specifier, context.parentURL));
    for (const candidate of [`${base}.js`, `${base}/index.js`]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) return nextResolve(pathToFileURL(candidate).href, context);
    }
  }
  return nextResolve(specifier, context);
}
