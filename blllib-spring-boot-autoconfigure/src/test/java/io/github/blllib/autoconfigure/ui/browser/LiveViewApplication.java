package io.github.blllib.autoconfigure.ui.browser;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import io.github.blllib.AsyncStage;
import io.github.blllib.BlllibStage;
import io.github.blllib.Stage;
import io.github.blllib.autoconfigure.Gate;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A web application with the live view whose stages a test controls: {@code held} waits at a
 * {@link Gate}, {@code stepped} passes one item per permit of a {@link Semaphore}, {@code flaky}
 * steps through the items of {@link FlakySteps}, some of which fail. Their settings (and the
 * failure policy of {@code flaky}) come from properties.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class LiveViewApplication {

	@Bean
	Gate gate() {
		return new Gate();
	}

	@Bean
	Semaphore steps() {
		return new Semaphore(0);
	}

	@Bean
	FlakySteps flakySteps() {
		return new FlakySteps();
	}

	@Bean
	Stage<Integer, Integer> flaky(FlakySteps flakySteps) {
		return flakySteps::apply;
	}

	@Bean
	Stage<Integer, Integer> held(Gate gate) {
		return (x) -> {
			gate.pass();
			return x;
		};
	}

	@Bean
	@BlllibStage(stateful = "2", batchSize = 3)
	AsyncStage<List<Integer>, Integer> remoteSum() {
		return (window) -> CompletableFuture.completedFuture(window.get(0) + window.get(1));
	}

	@Bean
	Stage<Integer, Integer> stepped(Semaphore steps) {
		return (x) -> {
			steps.acquire();
			return x;
		};
	}

}
