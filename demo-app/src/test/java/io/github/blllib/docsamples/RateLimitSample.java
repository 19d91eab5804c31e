package io.github.blllib.docsamples;

import java.time.Duration;

import io.github.blllib.AsyncStage;
import io.github.blllib.Pipeline;
import io.github.blllib.RateLimit;
import io.github.blllib.Stage;
import io.github.blllib.StageSpec;

/** The example of docs/rate-limits.md. */
class RateLimitSample {

	static Pipeline<Order, Invoice> build(Stage<Order, Customer> lookup, AsyncStage<Customer, Invoice> enrich) {
		// tag::rate-limit[]
		RateLimit crm = RateLimit.of(50, Duration.ofSeconds(1));     // one budget

		Pipeline<Order, Invoice> pipeline = Pipeline.<Order>builder("invoices")
		    .then(StageSpec.stateless("lookup", lookup).batchSize(32).rateLimit(crm))
		    .then(StageSpec.async("enrich", enrich).batchSize(64).rateLimit(crm))   // shares the 50/s
		    .build();
		// end::rate-limit[]
		return pipeline;
	}

	record Order(long id) {
	}

	record Customer(long id) {
	}

	record Invoice(long id) {
	}

}
