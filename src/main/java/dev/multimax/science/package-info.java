/**
 * Float64 reference implementations, on one row, of MultiMax and the activations the paper compares
 * it with (MULTIMAX.md §6), each with its vector-Jacobian product, and the paper's measures of
 * sparsity and multi-modality (§7). Plain loops, no vectorisation: these are the oracles that
 * device kernels and figures are checked against, not fast code.
 */
package dev.multimax.science;
