package io.github.blllib.demo;

import java.time.Duration;
import java.util.List;

/**
 * What the seed example produced and how long it took.
 *
 * @param outputs the pipeline's outputs, in order
 * @param parallel time of the pipeline as configured (windows on the worker pool, batch size 5)
 * @param sequential time of the same stages all run in master, one item at a time
 */
public record SeedExampleResult(List<Double> outputs, Duration parallel, Duration sequential) {

	public SeedExampleResult {
		outputs = List.copyOf(outputs);
	}

	/** How many times faster the parallel pipeline was than the sequential one. */
	public double speedUp() {
		return (double) this.sequential.toNanos() / Math.max(1, this.parallel.toNanos());
	}

}
