package io.github.blllib.autoconfigure.endpoint.web;

import java.util.concurrent.CountDownLatch;

import io.github.blllib.Stage;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A web application with Actuator whose {@code held} stage waits at a {@link Gate}, so that a
 * test can freeze a pipeline mid-run. The stage's settings come from properties.
 */
@SpringBootApplication
public class ObservedPipelinesApplication {

	@Bean
	Gate gate() {
		return new Gate();
	}

	@Bean
	Stage<Integer, Integer> held(Gate gate) {
		return (x) -> {
			gate.pass();
			return x;
		};
	}

	/** Holds the {@code held} stage while closed; closed again for the next test. */
	public static class Gate {

		private volatile CountDownLatch open = new CountDownLatch(1);

		void pass() throws InterruptedException {
			this.open.await();
		}

		public void open() {
			this.open.countDown();
		}

		public void close() {
			this.open = new CountDownLatch(1);
		}

	}

}
