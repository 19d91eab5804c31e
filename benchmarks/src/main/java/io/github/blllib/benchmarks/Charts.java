package io.github.blllib.benchmarks;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG charts, drawn with XChart. */
final class Charts {

	static final String LATENCY = "latency-throughput.png";

	static final String OVERHEAD = "per-item-overhead.png";

	static final String IO_BOUND = "io-bound-throughput.png";

	/** One colour per item 7 candidate, whichever ran, so charts of different JDKs compare. */
	private static final Color[] IO_BOUND_COLORS = { new Color(230, 120, 0), new Color(120, 60, 200),
			new Color(0, 150, 70), new Color(200, 30, 30), new Color(240, 120, 170), new Color(30, 110, 220) };

	private static final int WIDTH = 800;

	private static final int HEIGHT = 500;

	private Charts() {
	}

	/** Item 6: items per second against batch size, measured and ideal, both axes logarithmic. */
	static void latency(List<LatencyBoundBenchmark.Point> points, Path directory) throws IOException {
		XYChart chart = new XYChartBuilder().width(WIDTH)
			.height(HEIGHT)
			.title("Stage sleeping 1 ms, n-cpu 512: throughput vs batch size")
			.xAxisTitle("batch size")
			.yAxisTitle("items/s")
			.build();
		chart.getStyler().setXAxisLogarithmic(true);
		chart.getStyler().setYAxisLogarithmic(true);
		chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
		double[] batch = points.stream().mapToDouble(LatencyBoundBenchmark.Point::batchSize).toArray();
		double[] measured = points.stream().mapToDouble(LatencyBoundBenchmark.Point::itemsPerSecond).toArray();
		double[] ideal = points.stream().mapToDouble(LatencyBoundBenchmark.Point::idealItemsPerSecond).toArray();
		chart.addSeries("blllib (median)", batch, measured).setMarker(SeriesMarkers.CIRCLE);
		chart.addSeries("ideal: min(batch, n-cpu) sleeps at a time", batch, ideal).setMarker(SeriesMarkers.NONE);
		save(chart, directory.resolve(LATENCY));
	}

	/** Item 7: items per second of every candidate that ran against batch size, and the ideal, log–log. */
	static void ioBound(Map<IoBoundBenchmark.Candidate, double[]> itemsPerSecond, String conditions, Path directory)
			throws IOException {
		XYChart chart = new XYChartBuilder().width(WIDTH)
			.height(HEIGHT)
			.title("Call completing after 1 ms: items/s vs batch size (" + conditions + ")")
			.xAxisTitle("batch size (calls in flight)")
			.yAxisTitle("items/s")
			.build();
		chart.getStyler().setXAxisLogarithmic(true);
		chart.getStyler().setYAxisLogarithmic(true);
		chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
		double[] batch = IntStream.of(IoBoundBenchmark.BATCH_SIZES).asDoubleStream().toArray();
		chart.addSeries("ideal: batch ÷ 1 ms", batch,
				IntStream.of(IoBoundBenchmark.BATCH_SIZES).mapToDouble(IoBoundBenchmark::ideal).toArray())
			.setMarker(SeriesMarkers.NONE)
			.setLineColor(Color.GRAY);
		itemsPerSecond.forEach((candidate, rates) -> chart.addSeries(candidate.label, batch, rates)
			.setMarker(SeriesMarkers.CIRCLE)
			.setMarkerColor(IO_BOUND_COLORS[candidate.ordinal()])
			.setLineColor(IO_BOUND_COLORS[candidate.ordinal()]));
		save(chart, directory.resolve(IO_BOUND));
	}

	/** Items 2 and 3: items per second of each candidate, each bar labelled with its figure. */
	static void overhead(Map<String, Double> itemsPerSecond, int items, Path directory) throws IOException {
		CategoryChart chart = new CategoryChartBuilder().width(WIDTH)
			.height(HEIGHT)
			.title(String.format("4 stages x -> x + 1, %,d items: items/s (higher is better)", items))
			.yAxisTitle("items/s")
			.build();
		chart.getStyler().setLegendVisible(false);
		chart.getStyler().setLabelsVisible(true);
		chart.getStyler().setLabelsPosition(1.0);
		chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
		chart.getStyler().setLabelsFontColor(Color.BLACK);
		chart.getStyler().setyAxisTickLabelsFormattingFunction(Report::rate);
		chart.addSeries("items/s", new ArrayList<>(itemsPerSecond.keySet()), new ArrayList<Number>(itemsPerSecond.values()));
		save(chart, directory.resolve(OVERHEAD));
	}

	private static void save(Chart<?, ?> chart, Path file) throws IOException {
		BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
	}

}
