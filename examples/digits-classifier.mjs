// A multi-class classifier on the 8×8 handwritten digits: standardized features, a hidden
// layer, softmax outputs, Adam, a seeded 80/20 split, then test metrics and the confusion
// matrix. Run with `node examples/digits-classifier.mjs`.
import * as tg from 'tensorgrad';

tg.manualSeed(0);
const { x, y, targetNames } = tg.datasets.digits();
const split = tg.data.trainTestSplit(x, y, { testSize: 0.2, seed: 0, stratify: true });
const scaler = new tg.data.StandardScaler();
const xTrain = scaler.fitTransform(split.xTrain);
const xTest = scaler.transform(split.xTest);

const model = new tg.nn.Sequential(new tg.nn.Linear(64, 64, { init: 'he' }), new tg.nn.ReLU(), new tg.nn.Linear(64, 10, { init: 'xavier' }));
const history = tg.fit(model, {
  loss: new tg.nn.CrossEntropyLoss(),
  optimizer: new tg.optim.Adam(model, { lr: 0.01 }),
  data: new tg.data.DataLoader(xTrain, split.yTrain, { batchSize: 64, shuffle: true, seed: 0 }),
  epochs: 15,
  validation: { x: xTest, y: split.yTest },
  metrics: ['accuracy'],
  logEvery: 5,
  progress: process.stdout.isTTY === true,
});

const last = history.epochs.at(-1);
console.log(`test accuracy after ${history.loss.length} epochs: ${last.valMetrics.accuracy.toFixed(4)}`);
model.eval();
const predicted = tg.argmax(model.forward(xTest), -1);
const cm = tg.metrics.confusionMatrix(split.yTest, predicted, 10);
console.log('confusion matrix (rows: true digit, columns: predicted)');
console.log('     ' + targetNames.map((n) => n.padStart(4)).join(''));
cm.forEach((row, i) => console.log(targetNames[i].padStart(4) + ' ' + row.map((c) => String(c).padStart(4)).join('')));
