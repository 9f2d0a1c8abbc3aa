/// Colours that stay apart from one another in print and for the common colour-vision deficiencies
/// (the Okabe–Ito set), with a grey for "everything else".
public enum ChartPalette {
    public static let series = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
    public static let other = "#A0A7B4"
    public static let before = "#A0A7B4"
    public static let after = "#0072B2"

    public static func color(_ index: Int) -> String { series[index % series.count] }
}
