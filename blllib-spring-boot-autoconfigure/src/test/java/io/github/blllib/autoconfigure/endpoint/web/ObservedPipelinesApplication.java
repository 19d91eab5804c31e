package io.github.blllib.autoconfigure.endpoint.web;


import io.github.blllib.Stage;
import io.github.blllib.autoconfigure.Gate;

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


}
