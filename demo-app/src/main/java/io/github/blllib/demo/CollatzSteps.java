package io.github.blllib.demo;

import io.github.blllib.BlllibStage;
import io.github.blllib.Stage;

import org.springframework.stereotype.Component;

/**
 * The long job's first stage, some real computation: the number of steps the Collatz map
 * ({@code n / 2} when even, {@code 3n + 1} when odd) takes to bring a positive number to 1.
 * A pure function, so stateless ({@code stateful = "false"}).
 */
@Component
@BlllibStage(stateful = "false", batchSize = 64)
public class CollatzSteps implements Stage<Long, Long> {

	@Override
	public Long apply(Long input) {
		return steps(input);
	}

	/** The Collatz steps from {@code n} (at least 1) down to 1. */
	public static long steps(long n) {
		if (n < 1) {
			throw new IllegalArgumentException("Collatz steps are defined for positive numbers, but got " + n);
		}
		long steps = 0;
		for (long value = n; value != 1; steps++) {
			value = ((value & 1) == 0) ? value / 2 : 3 * value + 1;
		}
		return steps;
	}

}
