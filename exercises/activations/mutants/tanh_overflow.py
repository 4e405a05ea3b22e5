# Misconception tanh-overflow: the textbook quotient of exponentials, evaluated as is.
# For |x| > 709.78 both e^x and e^-x reach inf or 0 and inf/inf is NaN.
def tanh(x):
    x = np.asarray(x, dtype=np.float64)
    a = np.exp(x)
    b = np.exp(-x)
    return (a - b) / (a + b)
