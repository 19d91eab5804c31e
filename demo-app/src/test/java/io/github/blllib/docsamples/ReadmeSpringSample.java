package io.github.blllib.docsamples;

import java.util.List;

import io.github.blllib.BlllibStage;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineRun;
import io.github.blllib.Stage;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Service;

/** The README's Spring Boot example. */
@Configuration(proxyBeanMethods = false)
class ReadmeSpringSample {

	// tag::readme-stage-beans[]
	@Bean
	@BlllibStage(stateful = "false", batchSize = 16)      // thread-safe: 16 lookups at once on the worker pool
	Stage<Integer, String> lookup(CustomerDirectory directory) {
	    return directory::nameOf;
	}

	@Bean
	@BlllibStage(stateful = "2")                           // sliding windows of 2 consecutive names
	Stage<List<String>, String> handover() {
	    return (pair) -> pair.get(0) + " -> " + pair.get(1);
	}
	// end::readme-stage-beans[]

	interface CustomerDirectory {

		String nameOf(Integer id);

	}

}

// tag::readme-service[]
@Service
class HandoverReport {

    private final PipelineFactory pipelines;

    HandoverReport(PipelineFactory pipelines) {
        this.pipelines = pipelines;
    }

    List<String> handovers(List<Integer> customerIds) {
        try (Pipeline<Integer, String> pipeline = pipelines.create("handovers", "lookup", "handover");
             PipelineRun<String> run = pipeline.apply(customerIds)) {   // lazy: nothing runs before the first pull
            return run.stream().toList();                                  // outputs in input order
        }
    }

}
// end::readme-service[]
