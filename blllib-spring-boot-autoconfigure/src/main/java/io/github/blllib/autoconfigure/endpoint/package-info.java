/**
 * The {@code blllib} actuator endpoint: stage beans, the worker pool and the open pipelines.
 */
package io.github.blllib.autoconfigure.endpoint;
