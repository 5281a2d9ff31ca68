// Types of bench/lib.mjs, for test/bench-smoke.test.ts (the benchmark itself is plain .mjs).

export type WorkloadKind = 'time' | 'gflops';
export interface Workload {
  id: string;
  title: string;
  unit: string;
  kind: WorkloadKind;
  flops?: number;
}
export type TargetKind = 'time-ratio-max' | 'speed-ratio-min' | 'time-max-ms' | 'report';
export interface Target {
  id: string;
  workload: string;
  peer: string | null;
  kind: TargetKind;
  value: number | null;
  text: string;
}
/** One implementation's measurements in one workload (times in ms). */
export interface Result {
  workload: string;
  lib: string;
  variant: string;
  label?: string;
  dtype?: string;
  median: number;
  min?: number;
  max?: number;
  n?: number;
  error?: string;
}
export interface Ratio {
  workload: string;
  peer: string;
  tensorgrad: string;
  ratio: number;
}
export interface EvaluatedTarget {
  id: string;
  workload: string;
  target: string;
  peer: string | null;
  tensorgrad: string | null;
  measured: number | null;
  text?: string;
  status: 'met' | 'missed' | 'info' | 'not measured';
  missedBy: number | null;
}
export interface LossEntry {
  lib: string;
  name: string;
  dtype: string;
  loss: number;
}
export interface LossCheck {
  rows: { tensorgrad: string; reference: string; diff: number; ok: boolean }[];
  ok: boolean;
  nonFinite: string[];
}
export interface Column {
  key: string;
  title: string;
  align?: 'r';
}

export const WORKLOADS: Workload[];
export const TARGETS: Target[];
export const RESULT_COLUMNS: Column[];
export const TARGET_COLUMNS: Column[];
export function median(values: readonly number[]): number;
export function summarize(samples: readonly number[]): { median: number; min: number; max: number; n: number };
export function gflops(flops: number, ms: number): number;
export function formatMs(ms: number): string;
export function formatRatio(r: number): string;
export function bestTensorgrad(results: readonly Result[], workload: string): Result | null;
export function ratios(results: readonly Result[]): Ratio[];
export function evaluateTargets(results: readonly Result[], targets?: readonly Target[]): EvaluatedTarget[];
export function checkLosses(entries: readonly LossEntry[], tol?: number, referenceLibs?: readonly string[] | null): LossCheck;
export function formatTable(rows: readonly Record<string, unknown>[], columns: readonly Column[]): string;
export function formatMarkdown(rows: readonly Record<string, unknown>[], columns: readonly Column[]): string;
export function tableRows(results: readonly Result[], workloads?: readonly Workload[]): Record<string, string | number>[];
export function targetRows(evaluated: readonly EvaluatedTarget[]): (EvaluatedTarget & { text: string; tensorgrad: string; statusText: string })[];
export function roundOrder<T>(libs: readonly T[], round: number): T[];
