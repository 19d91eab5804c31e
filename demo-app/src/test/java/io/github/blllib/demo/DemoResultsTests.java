package io.github.blllib.demo;

import java.time.Duration;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exit code {@link DemoResults} gives {@code SpringApplication.exit} with
 * {@code demo.exit-after-run=true}.
 */
class DemoResultsTests {

	private final DemoResults results = new DemoResults();

	@Test
	void exitCodeIsZeroWhenTheLongJobSucceeded() {
		this.results.longJobEnded(new LongJobResult(10, 8, 42, 1, 0, 0, Duration.ofMillis(1)), null);
		assertThat(this.results.getExitCode()).isZero();
	}

	@Test
	void exitCodeIsOneWhenTheLongJobFailed() {
		this.results.longJobEnded(null, new IllegalStateException("stage failed"));
		assertThat(this.results.getExitCode()).isOne();
	}

	@Test
	void exitCodeIsOneWhenTheLongJobWasStopped() {
		this.results.longJobEnded(null, new CancellationException("stopped"));
		assertThat(this.results.getExitCode()).isOne();
	}

	@Test
	void longJobFutureIsACopyCallersCannotComplete() {
		this.results.longJob().cancel(true);
		assertThat(this.results.longJob()).isNotDone();
	}

}
