package io.github.blllib.autoconfigure.metrics;

import io.github.blllib.autoconfigure.BlllibAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of blllib's Micrometer meters: per-stage
 * meters of every pipeline the {@link io.github.blllib.PipelineFactory} builds, through a
 * {@link io.github.blllib.micrometer.PipelineMetrics} bean (when blllib-micrometer is on the
 * classpath, unless {@code blllib.metrics.enabled=false}), and executor metrics of the shared
 * worker pool. Ordered after Spring Boot's metrics auto-configuration, so that a
 * {@link MeterRegistry} bean is known, and after its task executor metrics, whose binding of the
 * worker pool it does not duplicate.
 */
@AutoConfiguration(after = BlllibAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
				BlllibMetricsConfigurations.TASK_EXECUTOR_METRICS_AUTO_CONFIGURATION })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@Import({ BlllibMetricsConfigurations.StageMetersConfiguration.class,
		BlllibMetricsConfigurations.WorkerPoolMetricsConfiguration.class })
public final class BlllibMetricsAutoConfiguration {

}
