package io.github.blllib.demo.kafka;

/** Names the demo's Kafka job shares between its beans and application-kafka.yml. */
public final class KafkaDemo {

	/** The Spring profile that runs the Kafka job instead of the showcase. */
	public static final String PROFILE = "kafka";

	/** The topic the feed writes orders to and the job reads. */
	public static final String ORDERS_TOPIC = "demo-orders";

	/** The topic the job writes priced orders to. */
	public static final String PRICED_TOPIC = "demo-orders-priced";

	/** Partitions of the embedded broker's topics. */
	public static final int PARTITIONS = 3;

	private KafkaDemo() {
	}

	/** The value of order {@code n}: its number and an amount in cents. */
	public static String order(int n) {
		return "order-" + n + " amount=" + amountOf(n);
	}

	/** The amount of order {@code n}, in cents. */
	public static long amountOf(int n) {
		return 100 + (n % 900);
	}

	/** The key of order {@code n}: its customer, so that a customer's orders keep their order. */
	public static String customer(int n) {
		return "customer-" + (n % 10);
	}

}
