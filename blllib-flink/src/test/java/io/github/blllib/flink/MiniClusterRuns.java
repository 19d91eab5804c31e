package io.github.blllib.flink;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

/** Runs pipelines as jobs on a test class's MiniCluster (one task manager, 4 slots). */
final class MiniClusterRuns {

	static final int PARALLELISM = 4;

	private MiniClusterRuns() {
	}

	static MiniClusterExtension cluster() {
		return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1)
			.setNumberSlotsPerTaskManager(PARALLELISM)
			.build());
	}

	/** The outputs of {@code pipeline} over {@code inputs}, read from a source of parallelism 1. */
	static <I, O> List<O> run(FlinkPipeline<I, O> pipeline, List<I> inputs) throws Exception {
		StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
		DataStream<I> source = env.fromData(inputs).setParallelism(1);
		List<O> outputs = new ArrayList<>();
		try (CloseableIterator<O> results = pipeline.apply(source).executeAndCollect(pipeline.name())) {
			results.forEachRemaining(outputs::add);
		}
		return outputs;
	}

}
