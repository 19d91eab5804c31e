/**
 * Micrometer binding of blllib pipelines, free of Spring: add a
 * {@link io.github.blllib.micrometer.PipelineMetrics} listener to a pipeline to get its per-stage
 * meters.
 */
package io.github.blllib.micrometer;
