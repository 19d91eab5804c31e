package io.github.blllib.demo;

import java.util.List;

import io.github.blllib.BlllibStage;
import io.github.blllib.Stage;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The seed's example: four stages, each taking sliding windows of two consecutive items
 * ({@code stateful = "2"}) with at most five windows in flight, and each slow (3, 3, 5 and 7
 * time units). Over the inputs 0..10:
 * <ul>
 * <li>{@code add}: a + b gives 1, 3, 5, ..., 19 (ten outputs);</li>
 * <li>{@code subtract}: b - a gives 2 nine times;</li>
 * <li>{@code multiply}: a * b gives 4 eight times;</li>
 * <li>{@code divide}: b / a gives 1.0 seven times.</li>
 * </ul>
 * Each stage is a bean named by its method, with its settings on the method, as the seed sets
 * them as attributes of a function.
 */
@Configuration(proxyBeanMethods = false)
public class SeedExampleStages {

	@Bean
	@BlllibStage(stateful = "2", batchSize = 5)
	Stage<List<Integer>, Integer> add(SimulatedWork work) {
		return (pair) -> {
			work.spend(3);
			return pair.get(0) + pair.get(1);
		};
	}

	@Bean
	@BlllibStage(stateful = "2", batchSize = 5)
	Stage<List<Integer>, Integer> subtract(SimulatedWork work) {
		return (pair) -> {
			work.spend(3);
			return pair.get(1) - pair.get(0);
		};
	}

	@Bean
	@BlllibStage(stateful = "2", batchSize = 5)
	Stage<List<Integer>, Integer> multiply(SimulatedWork work) {
		return (pair) -> {
			work.spend(5);
			return pair.get(0) * pair.get(1);
		};
	}

	@Bean
	@BlllibStage(stateful = "2", batchSize = 5)
	Stage<List<Integer>, Double> divide(SimulatedWork work) {
		return (pair) -> {
			work.spend(7);
			return pair.get(1) / (double) pair.get(0);
		};
	}

}
