package io.github.blllib.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.github.blllib.PipelineRun;

/** Inputs and outputs of test runs. */
public final class Runs {

	private Runs() {
	}

	/** The inputs {@code 0..n-1}. */
	public static List<Integer> range(int n) {
		return IntStream.range(0, n).boxed().toList();
	}

	/** Every output of the run, which is closed afterwards. */
	public static <T> List<T> drain(PipelineRun<T> run) {
		try (run) {
			List<T> outputs = new ArrayList<>();
			run.forEachRemaining(outputs::add);
			return outputs;
		}
	}

}
