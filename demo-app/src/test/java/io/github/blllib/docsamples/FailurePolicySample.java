package io.github.blllib.docsamples;

import java.io.IOException;
import java.time.Duration;

import io.github.blllib.Pipeline;
import io.github.blllib.Retry;
import io.github.blllib.Stage;
import io.github.blllib.StageSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The example of docs/failure-policies.md. */
class FailurePolicySample {

	private static final Logger log = LoggerFactory.getLogger(FailurePolicySample.class);

	static Pipeline<Long, Long> build(Stage<Long, Long> lookup) {
		// tag::failure-policies[]
		Pipeline<Long, Long> pipeline = Pipeline.<Long>builder("enrich")
			.then(StageSpec.stateless("lookup", lookup)
				.retry(Retry.maxRetries(3).delay(Duration.ofMillis(50)).multiplier(2).includes(IOException.class))
				.skipFailures()
				.skipLimit(100)
				.timeout(Duration.ofSeconds(2)))
			.deadLetters((item) -> log.warn("gave up on {} after {} attempts", item.input(), item.attempts()))
			.build();
		// end::failure-policies[]
		return pipeline;
	}

}
