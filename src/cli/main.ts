import { Command, InvalidArgumentError, Option } from 'commander';
import { BUILT_IN } from './dataset-source.js';
import { evalCommand } from './eval-command.js';
import { trainCommand, type TrainFlags } from './train-command.js';

const int = (name: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
};
const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a positive number, got ${JSON.stringify(v)}`);
  return n;
};
const fraction = (v: string) => {
  const n = Number(v);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError(`test size must be in [0, 1), got ${JSON.stringify(v)}`);
  return n;
};

/** Builds the `tensorgrad` command-line program. */
export function program(out: (line: string) => void = (l) => console.log(l)): Command {
  const cli = new Command('tensorgrad')
    .description('Train and evaluate feed-forward classifiers with tensorgrad (forward- or reverse-mode autodiff).')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  cli
    .command('train')
    .description("train a model; the defaults are the project brief's example (breast cancer, FeedForward(30, 50), x / x.max(), batch 128, lr 0.1, 20 epochs)")
    .addOption(new Option('--dataset <name|file.csv>', `${BUILT_IN.join(', ')}, or a CSV file (features, then the label)`).default('breast-cancer'))
    .addOption(new Option('--hidden <n>', 'hidden layer width').default(50).argParser(int('--hidden', 1)))
    .addOption(new Option('--layers <n>', 'extra hidden layers (the brief\'s n_hid_layers)').default(0).argParser(int('--layers', 0)))
    .addOption(new Option('--init <scheme>', "weight init: the brief's N(0, 1), or Xavier/He (better for deeper or wider models)").choices(['normal', 'xavier', 'he']).default('normal'))
    .addOption(new Option('--epochs <n>', 'passes over the training data').default(20).argParser(int('--epochs', 1)))
    .addOption(new Option('--batch-size <n>', 'mini-batch size').default(128).argParser(int('--batch-size', 1)))
    .addOption(new Option('--lr <x>', 'learning rate').default(0.1).argParser(positive('--lr')))
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(['sgd', 'adam']).default('sgd'))
    .addOption(new Option('--mode <mode>', 'autodiff mode').choices(['reverse', 'forward']).default('reverse'))
    .addOption(new Option('--dtype <dtype>', 'floating-point type').choices(['float64', 'float32']).default('float64'))
    .addOption(new Option('--seed <n>', 'seed for the weights and the split').default(0).argParser(int('--seed', 0)))
    .addOption(new Option('--scale <kind>', 'feature scaling, learned on the training split').choices(['max', 'standard', 'minmax', 'none']).default('max'))
    .addOption(new Option('--test-size <fraction>', 'held-out fraction (0 trains on everything)').default(0.2).argParser(fraction))
    .option('--shuffle', 'shuffle the batches every epoch (the brief keeps them in order)', false)
    .option('--save <file>', 'save the model (.json or .safetensors)')
    .option('--plot <file.svg>', 'write the loss curve as SVG')
    .option('--no-progress', 'no live progress bar')
    .option('--no-chart', 'no terminal loss chart')
    .action(async (opts: TrainFlags) => {
      await trainCommand(opts, out);
    });

  cli
    .command('eval')
    .description('score a model saved by `tensorgrad train --save`')
    .requiredOption('--model <file>', 'the saved model (.json or .safetensors)')
    .option('--dataset <name|file.csv>', 'data set (default: the one it was trained on)')
    .addOption(new Option('--split <which>', 'which rows to score, using the split the model was trained with').choices(['all', 'train', 'test']).default('test'))
    .action((opts) => evalCommand(opts, out));

  return cli;
}

/** Runs the program; errors print one readable line and set a non-zero exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    if (err.code?.startsWith('commander.')) return err.exitCode ?? 1;
    console.error(`tensorgrad: ${err.message ?? String(e)}`);
    return 1;
  }
}
