package io.github.blllib.flink;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineListener;
import io.github.blllib.Stage;
import io.github.blllib.StageSpec;
import io.github.blllib.micrometer.PipelineMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a Flink job reads the specs of Spring stage beans without building a pipeline: no
 * {@link PipelineListener} bean is told and no meter is registered.
 */
class SpringStageSpecsTests {

	@AfterAll
	static void closeContexts() {
		SpringStageContexts.close(ListenedStagesConfiguration.class.getClassLoader());
	}

	@Test
	void readingSpringStageSpecsForAJobTellsNoListenerAndRegistersNoMeter() {
		FlinkPipeline.<Long>builder("job")
			.springStages(ListenedStagesConfiguration.class, "doubled")
			.build();
		List<StageSpec<?, ?>> specs = SpringStageContexts.specs(ListenedStagesConfiguration.class,
				ListenedStagesConfiguration.class.getClassLoader(), "job", "doubled");

		assertThat(specs).extracting(StageSpec::name).containsExactly("doubled");
		assertThat(ListenedStagesConfiguration.events).hasValue(0);
		assertThat(ListenedStagesConfiguration.registry.getMeters()).isEmpty();
	}

	@Configuration(proxyBeanMethods = false)
	static class ListenedStagesConfiguration {

		static final AtomicInteger events = new AtomicInteger();

		static final MeterRegistry registry = new SimpleMeterRegistry();

		@Bean
		Stage<Long, Long> doubled() {
			return (x) -> 2 * x;
		}

		@Bean
		PipelineListener countingListener() {
			return new PipelineListener() {

				@Override
				public void pipelineCreated(Pipeline<?, ?> pipeline) {
					events.incrementAndGet();
				}

				@Override
				public void pipelineClosed(Pipeline<?, ?> pipeline) {
					events.incrementAndGet();
				}

			};
		}

		@Bean
		PipelineMetrics pipelineMetrics() {
			return new PipelineMetrics(registry);
		}

	}

}
