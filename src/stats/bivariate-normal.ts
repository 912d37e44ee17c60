import { normalCdf } from './normal.js';

/** Largest |ρ| accepted: the integrand below stays smooth, so fixed-step Simpson is accurate. */
const MAX_RHO = 0.9;
/** Simpson intervals on [0, ρ]: error below ~1e-11 for |ρ| <= 0.9 (checked against quadrature). */
const STEPS = 1000;

/**
 * P(X <= h, Y <= k) for standard normal X, Y with correlation ρ, |ρ| <= 0.9, by Plackett's
 * identity (Plackett 1954): ∂Φ₂/∂ρ = φ₂(h, k; ρ), so
 *   Φ₂(h, k; ρ) = Φ(h)·Φ(k) + ∫₀^ρ exp(-(h² - 2rhk + k²) / (2(1 - r²))) / (2π√(1 - r²)) dr,
 * integrated with Simpson's rule. Used by the power approximations with ρ = 1/2 and 1/√2.
 * RangeError for |ρ| > 0.9 or NaN arguments.
 */
export function bivariateNormalCdf(h: number, k: number, rho: number): number {
  if (Number.isNaN(h) || Number.isNaN(k) || !(Math.abs(rho) <= MAX_RHO)) {
    throw new RangeError(
      `bivariateNormalCdf needs numbers h, k and |rho| <= ${MAX_RHO} (got ${h}, ${k}, ${rho})`,
    );
  }
  const base = normalCdf(h) * normalCdf(k);
  if (rho === 0 || !Number.isFinite(h) || !Number.isFinite(k)) return base;
  const density = (r: number): number => {
    const q = 1 - r * r;
    return Math.exp(-(h * h - 2 * r * h * k + k * k) / (2 * q)) / (2 * Math.PI * Math.sqrt(q));
  };
  const step = rho / STEPS;
  let sum = density(0) + density(rho);
  for (let i = 1; i < STEPS; i++) sum += (i % 2 === 1 ? 4 : 2) * density(i * step);
  return Math.min(1, Math.max(0, base + (sum * step) / 3));
}
