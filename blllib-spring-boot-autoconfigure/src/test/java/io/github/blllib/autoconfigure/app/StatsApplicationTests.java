package io.github.blllib.autoconfigure.app;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineRun;
import io.github.blllib.StageSettings;
import io.github.blllib.autoconfigure.BlllibAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The starter end to end in {@link StatsApplication}.
 */
@SpringBootTest(properties = "spring.config.name=stats-application")
@DirtiesContext
class StatsApplicationTests {

	@Autowired
	private PipelineFactory pipelineFactory;

	@Autowired
	private ApplicationContext context;

	@Test
	void configuredPipelineShouldComputeSecondDifferencesOfRunningTotals() {
		try (Pipeline<Integer, Integer> pipeline = this.pipelineFactory.create("running-stats")) {
			// scaled 10 40 20 80, running totals 10 50 70 150
			assertThat(pipeline.apply(List.of(1, 4, 2, 8)).stream().toList()).containsExactly(-20, 60);
		}
	}

	@Test
	void configuredPipelineShouldMatchASequentialComputationOnALongInput() {
		List<Integer> inputs = IntStream.rangeClosed(1, 2_000).map((i) -> (i * 37) % 101).boxed().toList();
		try (Pipeline<Integer, Integer> pipeline = this.pipelineFactory.create("running-stats")) {
			assertThat(pipeline.apply(inputs).stream().toList()).isEqualTo(secondDifferencesOfRunningTotals(inputs));
		}
	}

	@Test
	void stagesShouldHaveTheSettingsOfAnnotationsPlaceholdersAndProperties() {
		assertThat(this.pipelineFactory.stages()).containsExactly(
				entry("runningTotal", StageSettings.of("runningTotal", "true", 1, false)),
				entry("scale", StageSettings.of("scale", "false", 8, false)),
				entry("secondDiff", StageSettings.of("secondDiff", "3", 2, false)));
		assertThat(this.context.isPrototype("runningTotal")).isTrue();
		assertThat(this.context.isSingleton("scale")).isTrue();
		assertThat(this.context.isSingleton("secondDiff")).isTrue();
		assertThat(this.context.getBean(BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME, ThreadPoolTaskExecutor.class)
			.getMaxPoolSize()).isEqualTo(2);
	}

	@Test
	void pipelinesOpenAtOnceShouldEachHaveTheirOwnRunningTotal() {
		try (Pipeline<Integer, Integer> first = this.pipelineFactory.create("running-stats");
				Pipeline<Integer, Integer> second = this.pipelineFactory.create("running-stats");
				PipelineRun<Integer> firstRun = first.apply(List.of(1, 4, 2, 8));
				PipelineRun<Integer> secondRun = second.apply(List.of(1, 4, 2, 8))) {
			List<Integer> firstOutputs = new ArrayList<>();
			List<Integer> secondOutputs = new ArrayList<>();
			while (firstRun.hasNext() | secondRun.hasNext()) {
				if (firstRun.hasNext()) {
					firstOutputs.add(firstRun.next());
				}
				if (secondRun.hasNext()) {
					secondOutputs.add(secondRun.next());
				}
			}
			assertThat(firstOutputs).containsExactly(-20, 60);
			assertThat(secondOutputs).containsExactly(-20, 60);
		}
	}

	@Test
	void pipelineShouldKeepItsRunningTotalAcrossRuns() {
		try (Pipeline<Integer, Integer> pipeline = this.pipelineFactory.create("totals", "runningTotal")) {
			assertThat(pipeline.apply(List.of(1, 2)).stream().toList()).containsExactly(1, 3);
			assertThat(pipeline.apply(List.of(3)).stream().toList()).containsExactly(6);
		}
	}

	@Test
	void applicationShouldKeepBootsApplicationTaskExecutor() {
		assertThat(this.context.containsBean("applicationTaskExecutor")).isTrue();
	}

	private static List<Integer> secondDifferencesOfRunningTotals(List<Integer> inputs) {
		List<Integer> totals = new ArrayList<>();
		int total = 0;
		for (int input : inputs) {
			total += 10 * input;
			totals.add(total);
		}
		List<Integer> differences = new ArrayList<>();
		for (int i = 2; i < totals.size(); i++) {
			differences.add(totals.get(i) - 2 * totals.get(i - 1) + totals.get(i - 2));
		}
		return differences;
	}

}
