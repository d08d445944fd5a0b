#pragma once
#include <vector>

// Closed forms for the M/M/c queue (Poisson arrivals at rate lambda, c servers each serving
// at rate mu, FIFO, unlimited queue). Used as oracles by tests and by the fluid mode. Rates
// are in any consistent unit (per second, say); times come out in the reciprocal unit.
// Every function returns +infinity for the times when lambda >= c * mu (no steady state).
namespace stratus {

// Erlang C: the probability that an arrival waits, for c servers and offered load
// a = lambda / mu (erlangs). Computed through the Erlang B recursion, which is stable for
// large c. 1 when a >= c, 0 when a <= 0; c must be >= 1 (c < 1 gives 1).
double erlang_c(int c, double offered_load_a);

// Erlang B: the blocking probability of M/M/c/c, the by-product of the recursion above.
double erlang_b(int c, double offered_load_a);

// The variance over the mean of the number of places busy in a loss system with `places`
// places and offered load a (M/G/K/K: a Poisson(a) truncated at K). 1 without the bound (a
// Poisson count), less as the bound pins the count: 1 / (1 + a) for one place. 1 when a <= 0.
double loss_occupancy_dispersion(int places, double offered_load_a);

// Whitt's correction of the Allen-Cunneen mean wait for the GI/G/m queue (W. Whitt,
// "Approximations for the GI/G/m queue", Production and Operations Management 2(2), 1993,
// eqs. 2.19-2.25): E[W] ~ phi x (ca^2 + cs^2) / 2 x E[W of M/M/m], where phi depends on the
// utilization rho, the arrivals' and the service times' squared coefficients of variation
// and m. Exactly 1 when ca^2 = cs^2 = 1 (M/M/m), below 1 when the service times vary more
// than the arrivals at moderate load (their variation matters less away from rho = 1), up
// to 1.24 when they vary less. Tends to 1 as rho -> 1 (the heavy-traffic limit). rho in
// (0, 1), m >= 1.
double whitt_gigm_factor(int m, double rho, double ca2, double cs2);

// Mean wait, in service times, of the GI/D/1 queue whose gaps are Erlang-k (each arrival
// every k-th of a Poisson stream) at utilization rho. With constant service, m FCFS servers
// start their requests in arrival order and request j starts at max(arrival, start of request
// j - m + service): each server's wait is a Lindley recursion over every m-th arrival, so a
// GI/D/m queue whose arrivals are every n-th of a Poisson stream waits as E_(m n)/D/1 (M/D/m
// as E_m/D/1, Crommelin's). By Spitzer's identity E[W] = sum over j >= 1 of E[S_j^+] / j,
// S_j = j D - (the sum of j gaps), whose terms are Poisson tails (a Gamma(j k) below j D is
// at least j k Poisson(j k rho) events): E[S_j^+] / j = D (p(jk) - (1 - rho) / rho x
// P(N > jk)), N ~ Poisson(j k rho). -1 when the sum needs more than `budget` Poisson terms
// (near rho = 1, where its terms fall slowly; the heavy-traffic limit, Kingman's, is close).
double erlang_d1_mean_wait(int k, double rho, long budget);

// The squared coefficient of variation of the wait of those that wait in M/G/1 with
// utilization rho, whose service time S has moment ratio r = E[S^3] E[S] / E[S^2]^2 (1.5 for
// the exponential, 1 for a constant, 1 + cv^2 for a lognormal). From the Pollaczek-Khinchine
// moments E[W] = lambda E[S^2] / (2 (1 - rho)), E[W^2] = 2 E[W]^2 + lambda E[S^3] / (3 (1 -
// rho)), and P(W > 0) = rho: 2 rho + 4 (1 - rho) r / 3 - 1. Exactly 1 for the exponential
// (M/M/1's wait is exponential), and at rho -> 1 for any (the heavy-traffic limit); above 1
// when the service times have a longer tail. Scaling S by 1/c (a GI/G/c queue as one fast
// server: Kingman's heavy-traffic view) leaves r, and so the value, unchanged.
double mg1_conditional_wait_cv2(double rho, double moment_ratio);

// The balanced-means two-phase hyperexponential of squared coefficient of variation cv2 >= 1:
// the probability p of its fast phase, p = (1 + sqrt((cv2 - 1) / (cv2 + 1))) / 2, the phases'
// rates 2 p / mean and 2 (1 - p) / mean (each phase holds half the mean). 1/2 at cv2 <= 1
// (one exponential).
double balanced_h2_split(double cv2);

// Mean waiting time in queue, E[W] = C / (c mu - lambda).
double mmc_mean_wait(int c, double lambda, double mu);

// Mean response time, E[W] + 1 / mu.
double mmc_mean_response(int c, double lambda, double mu);

// The q-quantile of the waiting time W, where P(W > t) = C e^{-(c mu - lambda) t}:
// 0 when q <= 1 - C, +infinity when q >= 1.
double mmc_wait_quantile(int c, double lambda, double mu, double q);

// P(T > t) for the response time T = W + S, S ~ Exp(mu) independent of W:
//   (1 - C) e^{-mu t} + C P(Exp(theta) + Exp(mu) > t),  theta = c mu - lambda,
// the second term being the hypoexponential tail, evaluated without cancellation when
// theta is close to mu.
double mmc_response_tail(int c, double lambda, double mu, double t);

// The q-quantile of the response time T: the root of P(T > t) = 1 - q, found by bisection
// on the closed-form tail above (relative precision ~1e-12). 0 when q <= 0, +infinity when
// q >= 1 or lambda >= c mu.
double mmc_response_quantile(int c, double lambda, double mu, double q);

// The share of arrivals that find c + places requests in the system (all c servers busy and
// the queue's places full: refused) when the gaps between arrivals are not exponential but
// Erlang, in a repeating cycle of orders: gaps = {n} is the E_n/M/c/K queue of a target that
// gets every n-th request of a Poisson stream (round robin); gaps = {d, 2n - d} a target that
// gets every 2n-th request of two interleaved rotations, d requests apart. lambda is the
// queue's own arrival rate (the stream's is lambda times the mean order), mu each server's.
// Exact: the chain of the number in the system just before each arrival (at most one more
// after it, then a pure-death process over the gap; an Erlang-k gap is k exponential phases
// of the stream's rate), solved over one cycle by state reduction (GTH), O((c + places)^3).
// gaps = {1} is M/M/c/K. 0 for an empty cycle, lambda <= 0 or an order below 1.
double erlang_gaps_full(const std::vector<int>& gaps, double lambda, int c, double mu, int places);

}  // namespace stratus
