package io.github.blllib.demo.kafka;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.blllib.AsyncStage;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The Kafka job's slow async stage, a stand-in for a price service called through a
 * non-blocking client: the answer (the order with its price, tax included) arrives
 * {@code demo.kafka.price-latency} later, completed by this bean's scheduler thread; no pipeline
 * thread waits for it. Its batch size comes from {@code blllib.stages.price-lookup.*}.
 */
@Component("price-lookup")
@Profile(KafkaDemo.PROFILE)
public class PriceLookup implements AsyncStage<String, String>, DisposableBean {

	private final ScheduledExecutorService service = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "demo-price-service");
		thread.setDaemon(true);
		return thread;
	});

	private final long latencyNanos;

	public PriceLookup(KafkaDemoProperties properties) {
		this.latencyNanos = properties.priceLatency().toNanos();
	}

	@Override
	public CompletionStage<String> apply(String order) {
		CompletableFuture<String> answer = new CompletableFuture<>();
		this.service.schedule(() -> answer.complete(priced(order)), this.latencyNanos, TimeUnit.NANOSECONDS);
		return answer;
	}

	/** The order with its price: the amount plus 20% tax, in cents. */
	public static String priced(String order) {
		long amount = Long.parseLong(order.substring(order.indexOf("amount=") + "amount=".length()));
		return order + " price=" + (amount * 120 / 100);
	}

	@Override
	public void destroy() {
		this.service.shutdownNow();
	}

}
