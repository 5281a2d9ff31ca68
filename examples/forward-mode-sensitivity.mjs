// What forward mode gives that reverse mode cannot give cheaply: per-example gradients.
// In forward mode every result carries its Jacobian with respect to each parameter, so
// the vector of per-example losses [B] carries d loss_b / d W for every example b at once:
// one forward pass, where reverse mode needs one backward pass per example. The same pass
// gives the Jacobian of the outputs with respect to the inputs: which features each
// prediction is most sensitive to. Run with `node examples/forward-mode-sensitivity.mjs`.
import * as tg from 'tensorgrad';

tg.manualSeed(0);
const data = tg.datasets.breastCancer();
const xs = new tg.data.StandardScaler().fitTransform(data.x);
const model = new tg.nn.FeedForward(30, 16, 1, 0, { init: 'xavier' });
tg.fit(model, { loss: new tg.nn.LogLoss(), optimizer: new tg.optim.Adam(model, { lr: 0.01 }), data: new tg.data.DataSet(xs, data.y, 64), epochs: 10, logEvery: 0 });

// 1. Per-example gradients of the log loss with respect to the output layer's weights.
const batch = tg.index(xs, '0:16');
const labels = tg.index(data.y, '0:16').cast('float64').reshape([16, 1]);
const W = model.outLayer.weight; // [16, 1]
const perExample = tg.withGradMode('forward', () => {
  const p = model.forward(batch).clamp(1e-12, 1 - 1e-12);
  // -(y log p + (1 - y) log(1 - p)), one loss per example: shape [16, 1]
  return tg.neg(tg.add(tg.mul(labels, tg.log(p)), tg.mul(tg.sub(1, labels), tg.log(tg.sub(1, p)))));
});
const grads = perExample.jacobian(W); // [16, 1, 16, 1]: d loss_b / d W for each example b
const norms = tg.sqrt(tg.sum(tg.mul(grads, grads), [1, 2, 3]));
console.log('per-example gradient norms (|d loss_b / d W|):');
console.log(norms.toString());
const mean = tg.mean(grads, 0).reshape([16]);
const fromBackward = tg.mean(perExample).jacobian(W).reshape([16]);
console.log('their mean equals the gradient of the mean loss:', tg.max(tg.abs(tg.sub(mean, fromBackward))).item() < 1e-12);

// 2. Which input features one prediction is most sensitive to: d p / d x for the example
// the model is least sure about (probability nearest 0.5).
model.eval();
const uncertainty = tg.abs(tg.sub(model.forward(xs), 0.5)).reshape([-1]);
const i = tg.argmin(uncertainty).item();
model.train();
const example = tg.index(xs, `${i}:${i + 1}`).detach().requiresGrad_(true);
const prob = tg.withGradMode('forward', () => model.forward(example));
const sensitivity = prob.jacobian(example).reshape([30]); // d p / d x_k
const order = Array.from(tg.abs(sensitivity).dataSync()).map((v, k) => [v, k]).sort((a, b) => b[0] - a[0]).slice(0, 5);
console.log(`p(benign) = ${prob.item().toFixed(4)} for example ${i}; most influential (standardized) features:`);
for (const [, k] of order) console.log(`  ${data.featureNames[k].padEnd(24)} dp/dx = ${sensitivity.dataSync()[k].toFixed(5)}`);
