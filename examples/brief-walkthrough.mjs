// The project brief, step by step: its two worked derivatives, then its model trained on
// the breast-cancer data. Run with `node examples/brief-walkthrough.mjs` after `npm install`.
import * as tg from 'tensorgrad';

const log = (...args) => console.log(...args);

// 1. Φ = exp(Σ_ij T_ij w_i w_j). The closed form: dΦ/dw_k = Φ Σ_j (T_kj + T_jk) w_j.
tg.manualSeed(0);
const T = tg.randn([4, 4]);
const w = tg.randn([4], { requiresGrad: true });
const phi = tg.withGradMode('forward', () => tg.exp(tg.sum(T.mul(w.reshape([4, 1])).mul(w.reshape([1, 4])))));
const closedForm = phi.mul(tg.matmul(tg.add(T, T.T), w));
log('Φ =', phi.item().toFixed(6));
log('dΦ/dw carried by Φ (forward mode):', phi.jacobian(w).toString());
log('closed form Φ (T + Tᵀ) w:          ', closedForm.toString());

// 2. φ = σ(x ω) with x of shape (1, d) and ω of shape (d, 1): dφ/dω = σ'(xω) xᵀ.
const x = tg.tensor([[0.5, -1.5, 2.0]]);
const omega = tg.randn([3, 1], { requiresGrad: true });
const y = tg.withGradMode('forward', () => tg.sigmoid(tg.tensordot(x, omega, 1)));
const s = y.item();
log('dφ/dω (shape y.shape ++ ω.shape):', y.jacobian(omega).shape, y.jacobian(omega).reshape([3]).toString());
log("σ'(xω) xᵀ:                       ", x.mul(s * (1 - s)).reshape([3]).toString());

// 3. The brief's model: FeedForward(30, 50), x / x.max(), batches of 128, lr 0.1, 20 epochs.
const data = tg.datasets.breastCancer();
const xs = new tg.data.MaxScaler().fitTransform(data.x);
const model = new tg.nn.FeedForward(30, 50);
const lossFn = new tg.nn.LogLoss();
const optimizer = new tg.optim.SGD(model, { lr: 0.1 });
const batches = new tg.data.DataSet(xs, data.y, 128);

// the loop written out, in the brief's forward mode: every result carries its Jacobians
tg.withGradMode('forward', () => {
  for (let epoch = 1; epoch <= 20; epoch++) {
    let total = 0;
    for (const [xb, yb] of batches) {
      const loss = lossFn.forward(model.forward(xb), yb);
      optimizer.zeroGrad();
      loss.backward(); // reads the loss's Jacobians into .grad
      optimizer.step();
      total += loss.item();
    }
    if (epoch % 10 === 0) log(`epoch ${epoch}: mean loss ${(total / batches.length).toFixed(4)}`);
  }
});
model.eval(); // the brief's evaluation switch: no tracking
log('training accuracy:', tg.metrics.accuracy(data.y, model.predict(xs)).toFixed(4));
