/**
 * The demo page: reads the form, talks to the training worker, and draws what it reports.
 * The page itself never trains (so it never freezes); it only renders.
 *
 * For tests and the curious, <main id="app"> carries the run's state as data attributes:
 * data-state (loading | ready | training | done | error), data-epochs-done, data-losses and
 * data-val-losses (JSON arrays), data-mode (autodiff mode of the run), data-train-accuracy and
 * data-test-accuracy (final), data-error (where the last error came from).
 */
import './style.css';
import { boundaryView, classColor } from './boundary.js';
import { curveChart } from './charts.js';
import type { DatasetInfo, DatasetSpec, FromWorker, JacobianReport, ToWorker, TrainConfig } from './protocol.js';
import { h, renderConfusion, renderGrid8, renderJacobian, renderMetrics } from './views.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`demo: #${id} is missing from the page`);
  return el as T;
};

const app = $('app');
const form = $<HTMLFormElement>('controls');
const datasetSelect = $<HTMLSelectElement>('dataset');
const trainButton = $<HTMLButtonElement>('train');
const stopButton = $<HTMLButtonElement>('stop');
const errorBox = $('error');
const statusLine = $('status');
const progressBar = $('progress-bar');
const exampleInput = $<HTMLInputElement>('example');
const outputSelect = $<HTMLSelectElement>('output-class');
const showAll = $<HTMLInputElement>('show-all');
const backendSelect = $<HTMLSelectElement>('backend');

const lossChart = curveChart($('loss-chart'), 'loss');
const accuracyChart = curveChart($('accuracy-chart'), 'accuracy', {
  range: (min) => [Math.max(0, Math.min(min, 0.9) - 0.05), 1.0],
  digits: 3,
});
const boundary = boundaryView($<HTMLCanvasElement>('boundary'));

type State = 'loading' | 'ready' | 'training' | 'done' | 'error';

let info: DatasetInfo | null = null;
let csv: { fileName: string; text: string } | null = null;
let runInfo: { epochs: number; batchesPerEpoch: number; trainSize: number; testSize: number } | null = null;
let losses: number[] = [];
let valLosses: number[] = [];
let lastJacobian: JacobianReport | null = null;
let modelReady = false;

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (m: ToWorker) => worker.postMessage(m);

function setState(state: State): void {
  app.dataset.state = state;
  const training = state === 'training';
  for (const el of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) el.disabled = training;
  trainButton.disabled = training || !info;
  stopButton.disabled = !training;
  const jacobianReady = modelReady && !training;
  for (const el of [exampleInput, outputSelect, $<HTMLButtonElement>('uncertain'), $<HTMLButtonElement>('random-example')]) el.disabled = !jacobianReady;
  $('save').hidden = !jacobianReady;
}

const ERROR_PREFIX: Record<string, string> = {
  dataset: 'Could not load the data',
  train: 'Training stopped with an error',
  jacobian: 'Could not compute the Jacobian',
  save: 'Could not save the model',
  form: 'Please check the settings',
  worker: 'The training worker failed',
};

function showError(where: string, message: string): void {
  errorBox.replaceChildren(h('strong', {}, `${ERROR_PREFIX[where] ?? 'Error'}: `), message);
  errorBox.hidden = false;
  app.dataset.error = where;
}

function clearError(): void {
  errorBox.hidden = true;
  errorBox.replaceChildren();
  delete app.dataset.error;
}

const num = (id: string) => Number($<HTMLInputElement>(id).value);

/** The number of parameters of FeedForward(f, hidden, out, layers). */
function parameterCount(features: number, classes: number, hidden: number, layers: number): number {
  const out = classes === 2 ? 1 : classes;
  return features * hidden + hidden + layers * (hidden * hidden + hidden) + hidden * out + out;
}

function updateHints(): void {
  const hidden = num('hidden');
  const layers = num('layers');
  const mode = (form.elements.namedItem('mode') as RadioNodeList).value;
  if (!info || !(hidden >= 1) || !(layers >= 0)) {
    $('model-info').textContent = '';
    $('mode-info').textContent = '';
    return;
  }
  const p = parameterCount(info.features, info.targetNames.length, hidden, layers);
  const shape = [info.features, ...Array(layers + 1).fill(hidden), info.targetNames.length === 2 ? 1 : info.targetNames.length];
  $('model-info').textContent = `${shape.join(' → ')} with ReLU, ${info.targetNames.length === 2 ? 'sigmoid' : 'softmax'} output · ${p.toLocaleString('en')} parameters`;
  $('mode-info').textContent =
    mode === 'forward'
      ? `Forward mode, the project brief's design: every intermediate result carries its Jacobian with respect to all ${p.toLocaleString('en')} parameters, built as the batch flows forward; no backward pass. Its cost grows with the number of parameters.`
      : 'Reverse mode: one backward pass per batch gives the gradient, whatever the number of parameters.';
}

/** Settings that train each built-in data set well; applied when it is chosen. */
const PRESETS: Record<string, Record<string, number>> = {
  'breast-cancer': { hidden: 16, layers: 0, lr: 0.003, epochs: 30, 'batch-size': 32 },
  digits: { hidden: 32, layers: 0, lr: 0.003, epochs: 20, 'batch-size': 32 },
  iris: { hidden: 16, layers: 0, lr: 0.01, epochs: 60, 'batch-size': 16 },
  moons: { hidden: 16, layers: 1, lr: 0.01, epochs: 100, 'batch-size': 32, 'toy-noise': 0.15 },
  circles: { hidden: 16, layers: 1, lr: 0.01, epochs: 100, 'batch-size': 32, 'toy-noise': 0.08 },
};

function applyPreset(kind: string): void {
  const preset = PRESETS[kind];
  if (!preset) return;
  for (const [id, value] of Object.entries(preset)) $<HTMLInputElement>(id).value = String(value);
  $<HTMLSelectElement>('optimizer').value = 'adam';
}

function datasetSpec(): DatasetSpec | null {
  const kind = datasetSelect.value;
  if (kind === 'moons' || kind === 'circles') return { kind, samples: num('toy-samples'), noise: num('toy-noise'), seed: num('toy-seed') };
  if (kind === 'csv') return csv ? { kind: 'csv', ...csv } : null;
  return { kind: kind as 'breast-cancer' | 'digits' | 'iris' };
}

function requestDataset(): void {
  const kind = datasetSelect.value;
  $('toy-options').hidden = kind !== 'moons' && kind !== 'circles';
  $('csv-options').hidden = kind !== 'csv';
  clearError();
  info = null;
  modelReady = false;
  const spec = datasetSpec();
  $('dataset-info').textContent = spec ? 'Loading…' : 'No file chosen yet.';
  setState(spec ? 'loading' : 'ready');
  if (spec) send({ type: 'dataset', spec });
}

function describeDataset(d: DatasetInfo): void {
  const classes = d.targetNames.map((n, i) => `${n} (${d.classCounts[i]})`).join(', ');
  $('dataset-info').textContent = `${d.samples.toLocaleString('en')} samples × ${d.features} features · ${d.targetNames.length} classes: ${classes}`;
  $('boundary-card').hidden = !d.planar;
  $('digit-view').hidden = d.features !== 64;
  $('boundary-legend').replaceChildren(...d.targetNames.map((n, i) => h('span', {}, h('i', { style: `background:${classColor(i)}` }), n)));
  outputSelect.replaceChildren(h('option', { value: '' }, 'the predicted class'), ...d.targetNames.map((n, i) => h('option', { value: i }, n)));
  if (d.planar && d.points && d.labels) boundary.setPoints(d.points, d.labels);
  boundary.clear();
}

function readConfig(): TrainConfig | string {
  const hidden = num('hidden');
  const layers = num('layers');
  const lr = num('lr');
  const epochs = num('epochs');
  const batchSize = num('batch-size');
  const seed = num('seed');
  if (!Number.isInteger(hidden) || hidden < 1 || hidden > 512) return 'the hidden size must be a whole number from 1 to 512.';
  if (!Number.isInteger(layers) || layers < 0 || layers > 6) return 'the number of extra hidden layers must be a whole number from 0 to 6.';
  if (!(lr > 0 && lr <= 10)) return 'the learning rate must be a number above 0 (and at most 10).';
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 5000) return 'epochs must be a whole number from 1 to 5000.';
  if (!Number.isInteger(batchSize) || batchSize < 1) return 'the batch size must be a whole number of at least 1.';
  if (!Number.isInteger(seed) || seed < 0) return 'the seed must be a whole number of at least 0.';
  return {
    hidden,
    layers,
    lr,
    epochs,
    batchSize,
    seed,
    init: $<HTMLSelectElement>('init').value as TrainConfig['init'],
    optimizer: $<HTMLSelectElement>('optimizer').value as TrainConfig['optimizer'],
    mode: (form.elements.namedItem('mode') as RadioNodeList).value as TrainConfig['mode'],
    scaling: $<HTMLSelectElement>('scaling').value as TrainConfig['scaling'],
    backend: backendSelect.value,
  };
}

function resetRun(): void {
  losses = [];
  valLosses = [];
  lossChart.reset();
  accuracyChart.reset();
  lastJacobian = null;
  modelReady = false;
  for (const key of ['epochsDone', 'losses', 'valLosses', 'trainAccuracy', 'testAccuracy', 'mode']) delete app.dataset[key];
  $('metrics').replaceChildren(h('p', { class: 'placeholder' }, 'Training…'));
  $('confusion').replaceChildren(h('p', { class: 'placeholder' }, 'Training…'));
  $('jacobian').replaceChildren(h('p', { class: 'placeholder' }, 'Training…'));
  $('jacobian-summary').textContent = '';
  $('metrics-note').textContent = '';
  boundary.clear();
}

const fmtPct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '–');

function onMessage(msg: FromWorker): void {
  switch (msg.type) {
    case 'hello':
      backendSelect.replaceChildren(...msg.backends.map((b) => h('option', { value: b }, b === 'wasm' ? 'wasm (SIMD)' : b)));
      requestDataset();
      break;
    case 'dataset':
      info = msg.info;
      describeDataset(info);
      updateHints();
      statusLine.textContent = `Ready: ${info.name}. Press Train.`;
      progressBar.style.width = '0';
      setState('ready');
      break;
    case 'start':
      app.dataset.mode = msg.config.mode;
      runInfo = { epochs: msg.config.epochs, batchesPerEpoch: msg.batchesPerEpoch, trainSize: msg.trainSize, testSize: msg.testSize };
      statusLine.textContent = `Training on ${msg.trainSize} examples, testing on ${msg.testSize} · ${msg.parameters.toLocaleString('en')} parameters · ${msg.config.mode} mode`;
      break;
    case 'batch':
      if (runInfo) {
        const done = (msg.epoch - 1) * runInfo.batchesPerEpoch + msg.batch;
        progressBar.style.width = `${(100 * done) / (runInfo.epochs * runInfo.batchesPerEpoch)}%`;
      }
      break;
    case 'epoch': {
      const r = msg.report;
      losses.push(r.loss);
      valLosses.push(r.valLoss);
      lossChart.push(r.epoch, r.loss, r.valLoss);
      accuracyChart.push(r.epoch, r.accuracy, r.valAccuracy);
      app.dataset.epochsDone = String(r.epoch);
      app.dataset.losses = JSON.stringify(losses);
      app.dataset.valLosses = JSON.stringify(valLosses);
      if (runInfo) {
        progressBar.style.width = `${(100 * r.epoch) / runInfo.epochs}%`;
        const speed = Math.round(runInfo.trainSize / Math.max(r.ms / 1000, 1e-6));
        statusLine.textContent = `Epoch ${r.epoch}/${runInfo.epochs} · loss ${r.loss.toFixed(4)} · test accuracy ${fmtPct(r.valAccuracy)} · ${speed.toLocaleString('en')} examples/s`;
      }
      break;
    }
    case 'boundary':
      boundary.draw(msg.grid);
      break;
    case 'done': {
      const r = msg.report;
      modelReady = true;
      if (info) {
        renderMetrics($('metrics'), r, info.targetNames.length);
        renderConfusion($('confusion'), r.confusion, info.targetNames);
      }
      $('metrics-note').textContent = `${r.testSize} held-out examples`;
      app.dataset.trainAccuracy = String(r.trainAccuracy);
      app.dataset.testAccuracy = String(r.testAccuracy);
      const verb = r.stopped ? 'Stopped' : 'Done';
      statusLine.textContent = `${verb} after ${losses.length} epochs in ${(r.ms / 1000).toFixed(2)} s · final loss ${losses.at(-1)?.toFixed(4) ?? '–'} · test accuracy ${fmtPct(r.testAccuracy)}`;
      progressBar.style.width = '100%';
      exampleInput.max = String(r.testSize - 1);
      setState('done');
      send({ type: 'jacobian', index: 'least-certain' });
      break;
    }
    case 'jacobian':
      lastJacobian = msg.report;
      showJacobian();
      break;
    case 'saved': {
      const url = URL.createObjectURL(msg.blob);
      const a = h('a', { href: url, download: msg.fileName }) as HTMLAnchorElement;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      break;
    }
    case 'error':
      showError(msg.where, msg.message);
      if (msg.where === 'dataset') {
        $('dataset-info').textContent = '';
        setState('error');
      } else if (msg.where === 'train') {
        statusLine.textContent = 'Training stopped with an error.';
        setState('error');
      }
      break;
  }
}

function showJacobian(): void {
  const r = lastJacobian;
  if (!r || !info) return;
  exampleInput.value = String(r.index);
  const names = info.targetNames;
  const predicted = r.probs.indexOf(Math.max(...r.probs));
  renderJacobian($('jacobian'), r, info.featureNames, showAll.checked);
  $('jacobian').dataset.example = String(r.index);
  $('jacobian').dataset.reverseDiff = String(r.reverseDiff);
  const summary = $('jacobian-summary');
  summary.replaceChildren(
    `Test example ${r.index}: true class `,
    h('b', {}, names[r.label] ?? String(r.label)),
    ', predicted ',
    h('b', {}, names[predicted] ?? String(predicted)),
    ` (p = ${r.probs[predicted].toFixed(3)}). Bars: ∂p(${names[r.output]})/∂xₖ with respect to the model's ${$<HTMLSelectElement>('scaling').value === 'none' ? '' : 'scaled '}inputs, largest first. `,
    h('span', { class: 'muted' }, `One forward-mode pass, ${r.ms.toFixed(1)} ms; reverse mode agrees ${r.reverseDiff === 0 ? 'exactly' : `to ${r.reverseDiff.toExponential(1)}`}.`),
  );
  if (info.features === 64) {
    renderGrid8($<HTMLCanvasElement>('digit-image'), r.features, false);
    renderGrid8($<HTMLCanvasElement>('digit-jacobian'), r.values, true);
  }
  boundary.highlight(info.planar ? [r.features[0], r.features[1]] : null);
}

function askJacobian(index: number | 'least-certain'): void {
  const output = outputSelect.value === '' ? undefined : Number(outputSelect.value);
  send({ type: 'jacobian', index, output });
}

async function useCsvFile(file: File | undefined): Promise<void> {
  if (!file) return;
  try {
    csv = { fileName: file.name, text: await file.text() };
  } catch (e) {
    showError('dataset', `cannot read ${file.name}: ${(e as Error).message}`);
    return;
  }
  $('dropzone').classList.add('has-file');
  $('dropzone').querySelector('strong')!.textContent = file.name;
  requestDataset();
}

worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
worker.onerror = (e) => {
  showError('worker', e.message || 'unknown error (see the console)');
  setState('error');
};

datasetSelect.addEventListener('change', () => {
  applyPreset(datasetSelect.value);
  requestDataset();
});
for (const id of ['toy-samples', 'toy-noise', 'toy-seed']) $(id).addEventListener('change', requestDataset);
for (const id of ['hidden', 'layers']) $(id).addEventListener('input', updateHints);
for (const el of form.querySelectorAll('input[name="mode"]')) el.addEventListener('change', updateHints);
$<HTMLInputElement>('csv-file').addEventListener('change', (e) => void useCsvFile((e.target as HTMLInputElement).files?.[0]));
const dropzone = $('dropzone');
dropzone.addEventListener('dragover', (e) => {
  e.preventDefault();
  dropzone.classList.add('over');
});
dropzone.addEventListener('dragleave', () => dropzone.classList.remove('over'));
dropzone.addEventListener('drop', (e) => {
  e.preventDefault();
  dropzone.classList.remove('over');
  void useCsvFile(e.dataTransfer?.files[0]);
});

form.addEventListener('submit', (e) => {
  e.preventDefault();
  if (!info) return;
  const config = readConfig();
  if (typeof config === 'string') {
    showError('form', config);
    return;
  }
  clearError();
  resetRun();
  setState('training');
  send({ type: 'train', config });
});
stopButton.addEventListener('click', () => send({ type: 'stop' }));
$('save').addEventListener('click', () => send({ type: 'save' }));
$('uncertain').addEventListener('click', () => askJacobian('least-certain'));
$('random-example').addEventListener('click', () => askJacobian(Math.floor(Math.random() * (runInfo?.testSize ?? 1))));
exampleInput.addEventListener('change', () => askJacobian(Math.max(0, Math.min(Number(exampleInput.max), Math.round(num('example'))))));
outputSelect.addEventListener('change', () => lastJacobian && askJacobian(lastJacobian.index));
showAll.addEventListener('change', showJacobian);

applyPreset(datasetSelect.value);
setState('loading');
