package io.github.blllib.docsamples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.github.blllib.AsyncStage;
import io.github.blllib.BlllibStage;
import io.github.blllib.Pipeline;
import io.github.blllib.Retry;
import io.github.blllib.StageSpec;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The examples of docs/async-and-virtual-threads.md that run on Java 17. */
@Configuration(proxyBeanMethods = false)
class AsyncSample {

	static void run(List<Long> ids, Store store) {
		// tag::async-plain-java[]
		HttpClient http = HttpClient.newHttpClient();
		// sendAsync's own future: cancelling it (a timeout, a close) aborts the request
		AsyncStage<Long, HttpResponse<String>> fetch = (id) -> http
			.sendAsync(HttpRequest.newBuilder(URI.create("https://example.org/records/" + id)).build(),
					HttpResponse.BodyHandlers.ofString());

		try (Pipeline<Long, CustomerRecord> pipeline = Pipeline.<Long>builder("enrich")
			.then(StageSpec.async("fetch", fetch).batchSize(512)               // 512 requests in flight
				.retry(Retry.maxRetries(2).delay(Duration.ofMillis(100)))
				.timeout(Duration.ofSeconds(5)))
			.then(StageSpec.stateless("parse", (HttpResponse<String> response) -> CustomerRecord.parse(response.body()))
				.batchSize(64))
			.build()) {
			pipeline.apply(ids).forEachRemaining(store::save);
		}
		// end::async-plain-java[]
	}

	// tag::async-bean[]
	@Bean
	@BlllibStage(batchSize = 512)
	AsyncStage<Long, HttpResponse<String>> fetch(HttpClient http) {
		return (id) -> http.sendAsync(HttpRequest.newBuilder(URI.create("https://example.org/records/" + id)).build(),
				HttpResponse.BodyHandlers.ofString());
	}
	// end::async-bean[]

	record CustomerRecord(String body) {

		static CustomerRecord parse(String body) {
			return new CustomerRecord(body);
		}

	}

	interface Store {

		void save(CustomerRecord record);

	}

}
