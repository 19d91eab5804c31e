package io.github.blllib.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import io.github.blllib.demo.ResumablePipeline.Output;

/** The resumable job's outputs over 1..n computed plainly, without the engine. */
final class ResumableJobReference {

	private ResumableJobReference() {
	}

	static List<Output> outputs(long items) {
		long[] kept = LongStream.rangeClosed(1, items)
			.filter((n) -> !FlakyLookup.isCube(n) && !RemoteScreening.isBlocked(n))
			.toArray();
		List<Output> outputs = new ArrayList<>();
		long total = 0;
		for (int i = 0; i + 2 < kept.length; i++) {
			long difference = CollatzSteps.steps(kept[i + 2]) - CollatzSteps.steps(kept[i]);
			total += difference;
			outputs.add(new Output(kept[i], difference, total));
		}
		return outputs;
	}

}
