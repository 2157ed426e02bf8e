/**
 * Shared preparation of the (N, C, …) presets.
 *
 * @internal
 */
import { toTensor, type Tensor, type TensorInput } from "@hw/tensor";
import type { AffineOptions } from "../normalize";
import { checkEps, paramValues, showShape } from "./core";

/** The input as a tensor of rank ≥ `minRank` with an (N, C, …) layout. */
export function nchw(op: string, xIn: TensorInput, minRank: number, layout: string): Tensor {
  const x = toTensor(xIn, `${op}: x`);
  if (x.ndim < minRank) {
    throw new RangeError(`${op}: expected an input of rank ≥ ${minRank} laid out as ${layout}, got shape ${showShape(x.shape)}`);
  }
  return x;
}

/** Parsed affine options with per-channel (or any fixed-shape) parameters. */
export interface Affine {
  readonly eps: number;
  readonly gamma: Float64Array | null;
  readonly beta: Float64Array | null;
  readonly gammaTensor: Tensor | null;
  readonly betaTensor: Tensor | null;
}

/** Validate `eps`, `gamma` and `beta` against the parameter shape `shape`. */
export function affine(op: string, options: AffineOptions, shape: readonly number[], what: string): Affine {
  const eps = checkEps(op, options.eps);
  const g = options.gamma === undefined ? null : paramValues(op, "gamma", options.gamma, shape, what);
  const b = options.beta === undefined ? null : paramValues(op, "beta", options.beta, shape, what);
  return { eps, gamma: g?.values ?? null, beta: b?.values ?? null, gammaTensor: g?.tensor ?? null, betaTensor: b?.tensor ?? null };
}

/** `[C, 1, …, 1]` of length `ndim − 1`: a per-channel parameter aligned with an (N, C, …) input. */
export function perChannelShape(channels: number, ndim: number): number[] {
  return [channels, ...new Array<number>(ndim - 2).fill(1)];
}
