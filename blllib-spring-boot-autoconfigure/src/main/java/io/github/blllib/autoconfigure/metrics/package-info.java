/**
 * Micrometer wiring for blllib: the {@link io.github.blllib.micrometer.PipelineMetrics} bean that
 * gives every open pipeline its per-stage meters, and executor metrics of the shared worker pool.
 */
package io.github.blllib.autoconfigure.metrics;
