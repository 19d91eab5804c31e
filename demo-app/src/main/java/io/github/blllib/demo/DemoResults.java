package io.github.blllib.demo;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.boot.ExitCodeGenerator;
import org.springframework.stereotype.Component;

/**
 * What the demo's jobs produced, for tests and for the exit code: 0 unless the long job
 * failed.
 */
@Component
public class DemoResults implements ExitCodeGenerator {

	private volatile SeedExampleResult seedExample;

	private volatile List<Long> accumulatorOutputs = List.of();

	private volatile List<Long> secondDifferenceOutputs = List.of();

	private volatile List<Long> configuredPipelineOutputs = List.of();

	private final CompletableFuture<LongJobResult> longJob = new CompletableFuture<>();

	/** The seed example's outputs and timings; {@code null} until it has run. */
	public SeedExampleResult seedExample() {
		return this.seedExample;
	}

	/** The accumulator's running totals of 1..10. */
	public List<Long> accumulatorOutputs() {
		return this.accumulatorOutputs;
	}

	/** The second difference of the squares of 0..10. */
	public List<Long> secondDifferenceOutputs() {
		return this.secondDifferenceOutputs;
	}

	/** The outputs of the {@code running-totals} pipeline declared in application.yml, over 0..10. */
	public List<Long> configuredPipelineOutputs() {
		return this.configuredPipelineOutputs;
	}

	/** Completes when the long job ends, exceptionally when it fails or is stopped. */
	public CompletableFuture<LongJobResult> longJob() {
		return this.longJob.copy();
	}

	@Override
	public int getExitCode() {
		return (this.longJob.isCompletedExceptionally() || this.longJob.isCancelled()) ? 1 : 0;
	}

	void seedExample(SeedExampleResult result) {
		this.seedExample = result;
	}

	void accumulatorOutputs(List<Long> outputs) {
		this.accumulatorOutputs = List.copyOf(outputs);
	}

	void secondDifferenceOutputs(List<Long> outputs) {
		this.secondDifferenceOutputs = List.copyOf(outputs);
	}

	void configuredPipelineOutputs(List<Long> outputs) {
		this.configuredPipelineOutputs = List.copyOf(outputs);
	}

	void longJobEnded(LongJobResult result, Throwable failure) {
		if (failure != null) {
			this.longJob.completeExceptionally(failure);
		}
		else {
			this.longJob.complete(result);
		}
	}

}
