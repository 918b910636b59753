/// Something that draws itself into an area of a canvas. Widgets are values: what they show is
/// decided before `render`, which only draws (it never changes state).
public protocol Widget {
    func render(in area: Rect, on canvas: inout Canvas, theme: Theme)
}
