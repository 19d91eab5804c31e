/**
 * Spring Boot auto-configuration for blllib: Stage beans, properties, executors and the
 * {@link io.github.blllib.PipelineFactory} bean.
 */
package io.github.blllib.autoconfigure;
