package io.github.blllib.demo;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineRun;
import io.github.blllib.demo.kafka.KafkaDemo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Runs the demo once the application has started: the seed example, the accumulator, the
 * second difference and the {@code running-totals} pipeline declared in application.yml, then
 * starts the long job in the background. With {@code demo.exit-after-run=true} it waits for the
 * long job, so that the application exits once it is done. Profile {@value ResumableJob#PROFILE}
 * runs the {@link ResumableJob} instead, profile {@value KafkaDemo#PROFILE} the Kafka job.
 */
@Component
@Profile("!" + ResumableJob.PROFILE + " & !" + KafkaDemo.PROFILE)
public class DemoRunner implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(DemoRunner.class);

	private final PipelineFactory pipelineFactory;

	private final SeedExample seedExample;

	private final LongJob longJob;

	private final DemoResults results;

	private final DemoProperties properties;

	private final Environment environment;

	public DemoRunner(PipelineFactory pipelineFactory, SeedExample seedExample, LongJob longJob, DemoResults results,
			DemoProperties properties, Environment environment) {
		this.pipelineFactory = pipelineFactory;
		this.seedExample = seedExample;
		this.longJob = longJob;
		this.results = results;
		this.properties = properties;
		this.environment = environment;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.results.seedExample(this.seedExample.run());

		List<Long> oneToTen = LongStream.rangeClosed(1, 10).boxed().toList();
		this.results.accumulatorOutputs(runToList(this.pipelineFactory.create("accumulate", "accumulator"), oneToTen));
		logger.info("Accumulator (stateful) over 1..10: {}", this.results.accumulatorOutputs());

		List<Long> squares = LongStream.rangeClosed(0, 10).map((x) -> x * x).boxed().toList();
		this.results.secondDifferenceOutputs(
				runToList(this.pipelineFactory.create("second-difference", "secondDifference"), squares));
		logger.info("Second difference (windows of 3: z - x) over the squares {}: {}", squares,
				this.results.secondDifferenceOutputs());

		List<Long> zeroToTen = LongStream.rangeClosed(0, 10).boxed().toList();
		this.results.configuredPipelineOutputs(runToList(this.pipelineFactory.create("running-totals"), zeroToTen));
		logger.info("Pipeline 'running-totals' from application.yml (accumulator, second-difference) over 0..10: {}",
				this.results.configuredPipelineOutputs());

		this.longJob.start();
		if (this.properties.exitAfterRun()) {
			try {
				this.results.longJob().join();
			}
			catch (CompletionException ex) {
				// logged by the job; the exit code says it failed
			}
		}
		else {
			String base = "http://localhost:" + this.environment.getProperty("local.server.port", "8080") + "/actuator";
			logger.info("Serving Actuator until stopped (Ctrl+C): curl {}/blllib or {}/metrics/blllib.stage.in.flight",
					base, base);
		}
	}

	private static <I, O> List<O> runToList(Pipeline<I, O> pipeline, List<I> inputs) {
		try (pipeline; PipelineRun<O> run = pipeline.apply(inputs)) {
			return run.stream().toList();
		}
	}

}
