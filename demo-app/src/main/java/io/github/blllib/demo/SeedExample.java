package io.github.blllib.demo;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Runs the seed's example, {@code add, subtract, multiply, divide} over 0..10, twice: as
 * configured, then with the same stage beans in sequential mode (every stage run in master,
 * the seed's {@code SequentialPipeline}), and logs the outputs, both times and the speed-up.
 */
@Component
public class SeedExample {

	private static final Logger logger = LoggerFactory.getLogger(SeedExample.class);

	private static final String[] STAGES = { "add", "subtract", "multiply", "divide" };

	private final PipelineFactory pipelineFactory;

	private final DemoProperties properties;

	public SeedExample(PipelineFactory pipelineFactory, DemoProperties properties) {
		this.pipelineFactory = pipelineFactory;
		this.properties = properties;
	}

	/** Runs the example both ways and logs what it found. */
	public SeedExampleResult run() {
		List<Integer> inputs = IntStream.rangeClosed(0, 10).boxed().toList();
		logger.info("Seed example: {} over 0..10, each stage a window of 2 with batch size 5, sleeping 3, 3, 5, 7 x {}",
				String.join(" -> ", STAGES), this.properties.unit().toMillis() + " ms");
		try (Pipeline<Integer, Double> parallel = this.pipelineFactory.create("seed", STAGES);
				Pipeline<Integer, Double> sequential = Pipeline.<Integer>builder("seed-sequential")
					.sequential()
					.<Double>thenAll(parallel.stages())
					.build()) {
			long start = System.nanoTime();
			List<Double> outputs = runToList(parallel, inputs);
			Duration parallelTime = Duration.ofNanos(System.nanoTime() - start);

			start = System.nanoTime();
			List<Double> sequentialOutputs = runToList(sequential, inputs);
			Duration sequentialTime = Duration.ofNanos(System.nanoTime() - start);
			if (!sequentialOutputs.equals(outputs)) {
				throw new IllegalStateException(
						"Sequential mode gave " + sequentialOutputs + " but the pipeline gave " + outputs);
			}

			SeedExampleResult result = new SeedExampleResult(outputs, parallelTime, sequentialTime);
			logger.info("  outputs:     {}", outputs);
			logger.info("  parallel:    {} ms (n-cpu {} worker threads)", parallelTime.toMillis(), parallel.nCpu());
			logger.info("  sequential:  {} ms (the same stages, every one run in master)", sequentialTime.toMillis());
			logger.info("  speed-up:    {}x", String.format("%.1f", result.speedUp()));
			return result;
		}
	}

	private static <I, O> List<O> runToList(Pipeline<I, O> pipeline, List<I> inputs) {
		try (PipelineRun<O> run = pipeline.apply(inputs)) {
			return run.stream().toList();
		}
	}

}
