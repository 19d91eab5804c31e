/**
 * Micrometer binding for blllib: per-stage meters of every open pipeline and executor metrics of
 * the shared worker pool.
 */
package io.github.blllib.autoconfigure.metrics;
