package io.github.blllib.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;
import io.github.blllib.demo.ResumablePipeline.Output;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resumable job's pipeline in-process: its outputs over 1..n, and a run stopped after some
 * outputs and started again from its position and running total gives the rest exactly.
 */
class ResumablePipelineTests {

	private static final int ITEMS = 3000;

	private final RemoteScreening screening = new RemoteScreening(
			new DemoProperties(Duration.ofMillis(1), ITEMS, 0, Duration.ofSeconds(1), true, Duration.ofMillis(1), 100));

	@AfterEach
	void stopScreeningService() {
		this.screening.destroy();
	}

	@Test
	void outputsAreTheSecondDifferencesOfTheKeptNumbersWithTheirRunningTotal() {
		assertThat(outputsFrom(0, 0, Long.MAX_VALUE).outputs()).isEqualTo(ResumableJobReference.outputs(ITEMS));
	}

	@Test
	void runStartedAgainFromItsPositionAndTotalGivesExactlyTheRemainingOutputs() {
		List<Output> expected = ResumableJobReference.outputs(ITEMS);
		for (int stopAfter : new int[] { 1, 2, 95, 96, 97, 1000, expected.size() - 1 }) {
			Resumed first = outputsFrom(0, 0, stopAfter);
			Output last = first.outputs().get(first.outputs().size() - 1);
			List<Output> all = new ArrayList<>(first.outputs());
			all.addAll(outputsFrom(first.position(), last.total(), Long.MAX_VALUE).outputs());
			assertThat(all).as("stopped after %d outputs at position %d", stopAfter, first.position())
				.isEqualTo(expected);
		}
	}

	/** Feeds {@code inputs[position..]} (the numbers after {@code position}) and takes at most {@code limit} outputs. */
	private Resumed outputsFrom(long position, long total, long limit) {
		List<Output> outputs = new ArrayList<>();
		try (Pipeline<Long, Output> pipeline = ResumablePipeline.build(this.screening, total);
				PipelineRun<Output> run = pipeline
					.apply(LongStream.rangeClosed(position + 1, ITEMS).boxed().toList())) {
			while (outputs.size() < limit && run.hasNext()) {
				outputs.add(run.next());
			}
			return new Resumed(outputs, position + run.position());
		}
	}

	private record Resumed(List<Output> outputs, long position) {
	}

}
