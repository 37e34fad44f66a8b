/**
 * The simplex figure (the idea of the MultiMax paper's Figure 1, MULTIMAX.md §8): paths of 3-d
 * inputs mapped by each compared activation and projected onto the 2-simplex.
 */
package dev.multimax.simplex;
