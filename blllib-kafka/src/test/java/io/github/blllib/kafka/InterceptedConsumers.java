package io.github.blllib.kafka;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;

/** Consumers whose calls a test steps into, on the way to a real consumer. */
final class InterceptedConsumers {

	private InterceptedConsumers() {
	}

	/** Told of the partitions a rebalance revokes. */
	@FunctionalInterface
	interface RevocationListener {

		void revoked(Set<TopicPartition> partitions);

	}

	/**
	 * {@code consumer}, telling {@code listener} of each non-empty set of partitions a rebalance
	 * revokes, before the subscriber's own rebalance listener hears of it.
	 */
	static <K, V> Consumer<K, V> tellingRevocations(Consumer<K, V> consumer, RevocationListener listener) {
		return intercept(consumer, new Interception() {

			@Override
			Object[] before(String method, Object[] arguments) {
				if (method.equals("subscribe") && arguments.length == 2
						&& arguments[1] instanceof ConsumerRebalanceListener subscriber) {
					arguments[1] = telling(subscriber, listener);
				}
				return arguments;
			}

		});
	}

	/**
	 * {@code consumer}, refusing commits as a consumer does during a cooperative rebalance, with
	 * a {@link RebalanceInProgressException} that {@code refused} counts: a commit of offsets not
	 * refused before starts a "rebalance", which refuses every commit until the next poll ends
	 * it; so each set of offsets is committed only when asked again after a poll.
	 */
	static <K, V> Consumer<K, V> refusingCommits(Consumer<K, V> consumer, AtomicInteger refused) {
		Set<Map<?, ?>> refusedOnce = new HashSet<>();
		boolean[] rebalancing = { false };
		return intercept(consumer, new Interception() {

			@Override
			Object[] before(String method, Object[] arguments) {
				if (method.equals("commitSync") && arguments != null && arguments[0] instanceof Map<?, ?> offsets
						&& (rebalancing[0] || refusedOnce.add(Map.copyOf(offsets)))) {
					rebalancing[0] = true;
					refused.incrementAndGet();
					throw new RebalanceInProgressException("refused by the test as during a rebalance");
				}
				return arguments;
			}

			@Override
			void after(String method) {
				if (method.equals("poll")) {
					rebalancing[0] = false;
				}
			}

		});
	}

	private static ConsumerRebalanceListener telling(ConsumerRebalanceListener subscriber,
			RevocationListener listener) {
		return new ConsumerRebalanceListener() {

			@Override
			public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
				if (!partitions.isEmpty()) {
					listener.revoked(Set.copyOf(partitions));
				}
				subscriber.onPartitionsRevoked(partitions);
			}

			@Override
			public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
				subscriber.onPartitionsAssigned(partitions);
			}

			@Override
			public void onPartitionsLost(Collection<TopicPartition> partitions) {
				subscriber.onPartitionsLost(partitions);
			}

		};
	}

	@SuppressWarnings("unchecked")
	private static <K, V> Consumer<K, V> intercept(Consumer<K, V> consumer, Interception interception) {
		InvocationHandler handler = (proxy, method, arguments) -> interception.call(consumer, method, arguments);
		return (Consumer<K, V>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
				new Class<?>[] { Consumer.class }, handler);
	}

	/** Steps into the calls of the poll thread, the only one that calls a job's consumer. */
	private abstract static class Interception {

		/** Before {@code method}: the arguments to call it with, or throws instead of calling. */
		Object[] before(String method, Object[] arguments) {
			return arguments;
		}

		/** After {@code method} returned or threw. */
		void after(String method) {
		}

		final Object call(Consumer<?, ?> consumer, Method method, Object[] arguments) throws Throwable {
			Object[] actual = before(method.getName(), arguments);
			try {
				return method.invoke(consumer, actual);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
			finally {
				after(method.getName());
			}
		}

	}

}
