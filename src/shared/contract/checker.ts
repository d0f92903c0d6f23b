/** The checker's calls: grade students' servers, play the reference server for their clients. */
import type { CheckResult, Exercise, ExerciseResult } from '../exercise'

export type { CheckResult, Exercise, ExerciseResult }

/** A teacher's own exercise file, read by the page: its text and its name (for the errors). */
export interface CheckParseReq {
  text: string
  file: string
}
export interface GradeTarget {
  /** The page's name for this row (it comes back in each `grade` event). */
  key: string
  name: string
  host: string
  port: number
}
export interface CheckServersReq {
  exercise: Exercise
  /** The list values this run sends (shown in the panel). */
  lists: Record<string, string[]>
  students: GradeTarget[]
}
export interface CheckClientsReq {
  exercise: Exercise
  host: string
  port: number
}
export interface CheckRun {
  /** The run's id: its `grade` events carry it, `check:stop` ends it. */
  run: string
  /** A client exercise: the port the reference server listens on. */
  port?: number
}

export const CHECKER_LIMITS = { maxStudents: 200, maxListValues: 50 } as const
