/**
 * Checking a device against {@code ref:0}: random cases of every op of the catalog
 * ({@link dev.multimax.check.OpSamples}), one op at a time ({@link dev.multimax.check.OpCheck}) and a
 * whole training step ({@link dev.multimax.check.StepCheck}); what {@code multimax check} and the
 * kernel tests run.
 */
package dev.multimax.check;
