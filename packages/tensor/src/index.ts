// The public API of @hw/tensor: explicit named re-exports only.
export { version } from "./version";
export {
  Tensor,
  isTensor,
  TENSOR_BRAND,
  type DType,
  type DataArray,
  type NestedArray,
} from "./tensor";

// --- core: creation, views, broadcasting, elementwise, reductions (helper A)

// --- linear algebra and random (helper B)

// --- autodiff and gradcheck (helper C)
