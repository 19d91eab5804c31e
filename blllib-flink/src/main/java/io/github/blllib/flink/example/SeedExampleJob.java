package io.github.blllib.flink.example;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.github.blllib.StageSpec;
import io.github.blllib.flink.FlinkPipeline;
import io.github.blllib.flink.SerializableStage;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * The seed's example as a Flink job: {@code add}, {@code subtract}, {@code multiply} and
 * {@code divide}, each on windows of two with batch size 5 and sleeping 3, 3, 5 and 7 units of
 * 10 ms, over the inputs 0..10, at parallelism 4. Run as a plain Java program it starts an
 * embedded local cluster; submitted with {@code flink run} it runs on that cluster. Prints the
 * seven outputs, all 1.0.
 */
public final class SeedExampleJob {

	private static final long UNIT_MILLIS = 10;

	private SeedExampleJob() {
	}

	public static void main(String[] args) throws Exception {
		StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
		DataStream<Integer> inputs = env.fromData(IntStream.rangeClosed(0, 10).boxed().toList());
		DataStream<Double> outputs = FlinkPipeline.<Integer>builder("seed-example")
			.then(StageSpec.window("add", 2, SerializableStage.of((List<Integer> w) -> {
				spend(3);
				return w.get(0) + w.get(1);
			})).batchSize(5))
			.then(StageSpec.window("subtract", 2, SerializableStage.of((List<Integer> w) -> {
				spend(3);
				return w.get(1) - w.get(0);
			})).batchSize(5))
			.then(StageSpec.window("multiply", 2, SerializableStage.of((List<Integer> w) -> {
				spend(5);
				return w.get(0) * w.get(1);
			})).batchSize(5))
			.then(StageSpec.window("divide", 2, SerializableStage.of((List<Integer> w) -> {
				spend(7);
				return w.get(1) / (double) w.get(0);
			})).batchSize(5))
			.parallelism(4)
			.build()
			.apply(inputs, Types.DOUBLE);
		long start = System.nanoTime();
		List<Double> collected = new ArrayList<>();
		try (CloseableIterator<Double> results = outputs.executeAndCollect("blllib seed example")) {
			results.forEachRemaining(collected::add);
		}
		System.out.println("outputs: " + collected);
		System.out.println("job time: " + (System.nanoTime() - start) / 1_000_000 + " ms (cluster start-up included)");
	}

	private static void spend(int units) throws InterruptedException {
		Thread.sleep(units * UNIT_MILLIS);
	}

}
