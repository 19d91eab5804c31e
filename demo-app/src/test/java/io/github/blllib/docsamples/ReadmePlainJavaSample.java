package io.github.blllib.docsamples;

import java.util.List;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;
import io.github.blllib.Stage;
import io.github.blllib.StageSpec;

/** The README's plain-Java example. */
class ReadmePlainJavaSample {

	static void run() {
		// tag::readme-plain-java[]
		try (Pipeline<Integer, Double> pipeline = Pipeline.<Integer>builder("example")
		        .nCpu(4)
		        .then(StageSpec.stateless("square", (Integer x) -> x * x).batchSize(8))
		        .then(StageSpec.stateful("sum", new RunningTotal()).batchSize(4))
		        .then(StageSpec.window("ratio", 2, (List<Long> w) -> (double) w.get(1) / w.get(0)).batchSize(4))
		        .build();
		     PipelineRun<Double> run = pipeline.apply(List.of(1, 2, 3, 4))) {
		    run.forEachRemaining(System.out::println);
		}
		// end::readme-plain-java[]
	}

	static class RunningTotal implements Stage<Integer, Long> {

		private long total;

		@Override
		public Long apply(Integer x) {
			this.total += x;
			return this.total;
		}

	}

}
