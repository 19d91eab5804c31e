package io.github.blllib.docsamples;

import io.github.blllib.Pipeline;
import io.github.blllib.StageSpec;
import io.github.blllib.micrometer.PipelineMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/** The plain-Java meters of docs/observability.md. */
class ObservabilitySample {

	static Pipeline<Integer, Integer> build(MeterRegistry registry) {
		// tag::observability-meters[]
		Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("numbers")
		    .listener(new PipelineMetrics(registry)) // io.github.blllib.micrometer.PipelineMetrics
		    .then(StageSpec.stateless("square", (Integer x) -> x * x))
		    .build();
		// end::observability-meters[]
		return pipeline;
	}

}
